"""The synthetic demo data set behind `manage.py load_demo` (no real PHI, fixed random seed).

It lives in `denials`, the top domain layer, because it writes through every layer below.
"""
