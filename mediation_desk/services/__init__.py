"""Services of the mediation domain. Plain Python over SQLAlchemy sessions; never Qt."""
