"""``fit --method`` and the variational mixture's prior flags, named as scikit-learn names them."""

import numpy as np

from vizgmm.errors import OptionError
from vizgmm.model.defaults import DEFAULT_METHOD
from vizgmm.params import check, choices

#: Flag -> fit() keyword; each value is checked by the library (vizgmm.params), which names the flag.
PRIOR_FLAGS = {
    "--weight-concentration-prior-type": "weight_concentration_prior_type",
    "--weight-concentration-prior": "weight_concentration_prior",
    "--mean-precision-prior": "mean_precision_prior",
    "--degrees-of-freedom-prior": "degrees_of_freedom_prior",
    "--covariance-prior": "covariance_prior",
}


def add_method_and_priors(p, fit_group):
    """``fit``'s ``--method`` in its fit group, and the prior flags in their own group of the help."""
    fit_group.add_argument("--method", choices=choices("method"), default=DEFAULT_METHOD,
                           help="soft: standard EM (default); hard: each point takes its most probable component; "
                                "variational: the Bayesian mixture of scikit-learn's BayesianGaussianMixture")
    g = p.add_argument_group("variational priors (with --method variational; defaults as in scikit-learn)")
    _add_prior_flags(g, concentration=True)


def add_compare_priors(p):
    """``compare --priors`` (one panel per weight concentration) and the other prior flags, shared by every panel."""
    g = p.add_argument_group("variational priors (compare --method variational --priors A,B[,C,D])")
    g.add_argument("--priors", metavar="A,B[,C,D]",
                   help="2 to 4 weight_concentration_prior values to compare, one panel each, all from the same "
                        "initial responsibilities; needs --method variational, e.g. --priors 0.001,1,1000")
    _add_prior_flags(g, concentration=False)


def _add_prior_flags(g, concentration):
    g.add_argument("--weight-concentration-prior-type", choices=("dirichlet_process", "dirichlet_distribution"),
                   help="the weights' prior: a Dirichlet process (stick-breaking, the default) or distribution")
    if concentration:
        g.add_argument("--weight-concentration-prior", type=float, metavar="X",
                       help="the weights' concentration (default: 1/k); small values leave unneeded components "
                            "with almost no weight")
    g.add_argument("--mean-precision-prior", type=float, metavar="X",
                   help="how strongly the means are pulled to the data's mean (default: 1)")
    g.add_argument("--degrees-of-freedom-prior", type=float, metavar="X",
                   help="the Wishart prior's degrees of freedom, more than d - 1 (default: d)")
    g.add_argument("--covariance-prior", type=float, metavar="X",
                   help="a spherical covariance prior X·I, the same for every type (default: the data's covariance)")


def variational_priors(args, d):
    """The fit() keywords the prior flags give, for d-dimensional data.

    An OptionError when one is given without ``--method variational``. The
    one number of ``--covariance-prior`` becomes X·I in the shape scikit-learn
    wants for the covariance type.
    """
    given = {name: getattr(args, name) for name in PRIOR_FLAGS.values() if getattr(args, name, None) is not None}
    variational = args.method == "variational" or (isinstance(args.method, list) and "variational" in args.method)
    if given and not variational:
        flags = [flag for flag, name in PRIOR_FLAGS.items() if name in given]
        raise OptionError(f"{', '.join(flags)}: a prior of the variational mixture; add --method variational")
    if "covariance_prior" in given:
        value = check("covariance_prior", given["covariance_prior"])
        given["covariance_prior"] = {"spherical": value, "diag": np.full(d, value)}.get(
            args.covariance_type, value * np.eye(d))
    return given


def compare_priors_option(args):
    """``compare --priors``' values as a tuple of floats (checked by the library, which names the flag), or None.

    One-line errors: ``--priors`` without ``--method variational`` (alone), and
    ``--method variational`` without ``--priors``.
    """
    methods = args.method or []
    if args.priors is None:
        if "variational" in methods:
            raise OptionError("--method variational compares concentration priors: add --priors, e.g. "
                              "--priors 0.001,1,1000")
        return None
    if args.methods or methods != ["variational"]:
        raise OptionError("--priors compares the variational mixture under each prior: give --method variational "
                          "(and no other method)")
    return check("priors", args.priors)
