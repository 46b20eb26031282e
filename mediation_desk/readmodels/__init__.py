"""Read models: the plain dataclasses that services return and documents print.

A case's detail and its parties (:mod:`.cases`), agreements and their terms (:mod:`.agreements`),
investigation and mediation records (:mod:`.records`), the rows of the monthly publicity list
(:mod:`.publicity`), the statistics figures and the monthly report (:mod:`.statistics`), the case
list's filter (:mod:`.caselist`), and the helpers every printed page shares: masking names and
numbers (:mod:`.masking`) and amounts in Chinese capitals (:mod:`.amounts`).

Imports run one way, ``ui → services → documents → readmodels → models``: this package imports
only ``models`` and the standard library, so a document can print what a service returns without
importing the service.
"""
