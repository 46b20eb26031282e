"""Alembic environment: migrations run on the connection the app hands over (see db.upgrade)."""

from __future__ import annotations

from alembic import context

from mediation_desk.models import Base
from mediation_desk.services.search import include_in_schema_compare

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app always passes its connection
    raise RuntimeError("Run migrations through `mediation-desk db upgrade`, which supplies the connection.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # Autogenerate must never drop the search index's objects (migration 0008): not ORM models.
    include_name=include_in_schema_compare,
)
with context.begin_transaction():
    context.run_migrations()
