"""The tabs of a case page: agreement, records, judicial confirmation, documents, transfer, return visits."""
