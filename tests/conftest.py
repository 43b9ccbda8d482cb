"""Settings for every test module.

Hypothesis' deadline (200 ms per example) is a timing assertion: on a shared CI machine a slow
moment made a property test fail that passed at once on the next run. Speed is measured by the
benchmarks (benchmarks/), not asserted by tests; the property tests check only correctness.
"""

from hypothesis import settings

settings.register_profile("ikz", deadline=None)
settings.load_profile("ikz")
