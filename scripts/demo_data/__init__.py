"""Building blocks of the demo company generator (`scripts/make_demo_data.py`).

Everything here is pure: each function takes a `random.Random` and returns data, so the
same seed always gives byte-identical files, whatever the date, machine or hash seed.
"""
