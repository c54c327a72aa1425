"""The defaults of a fit, declared once: fit, select, compare and the command line all name these.

Plain constants, so the command line can show them in --help without importing numpy.
"""

DEFAULT_METHOD = "soft"
DEFAULT_INIT = "kmeans++"
DEFAULT_COVARIANCE_TYPE = "full"
DEFAULT_MAX_ITER = 100
DEFAULT_TOL = 1e-3
DEFAULT_REG_COVAR = 1e-6
#: vizgmm.anneal: temperatures in the schedule, and the last σ² as a share of the first.
DEFAULT_ANNEAL_STEPS = 30
DEFAULT_END_FRACTION = 0.01
#: A variational fit's component with less weight than this has been drained by the prior: it is
#: counted as inactive (vizgmm.compare(priors=...)) and drawn faded (vizgmm.look.variational.FADE_WEIGHT).
ACTIVE_WEIGHT = 0.01
