"""One case and the list of cases: the lazy list, the detail page, its clock, oversight and routing, the parties
table.
"""
