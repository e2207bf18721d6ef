"""The synthetic demo data set behind `manage.py load_demo` (no real PHI, fixed random seed).

It is its own app on the top floor, above every other: it writes through every layer below,
and nothing imports it.
"""
