"""Tick labels of the side panels: log-likelihood numbers without an offset, and room beside the main plot."""

from matplotlib.ticker import Formatter


def loglik_tick(value, span):
    """A log-likelihood tick without an offset label, as precise as the axis' ``span`` needs.

    −1,370 or −1,369.5; −13.7k and −2.5M once the numbers are long.
    """
    import math

    step = max(abs(span), 1e-12) / 5  # about one tick's spacing
    for unit, suffix, least in ((1e6, "M", 1e6), (1e3, "k", 1e4)):
        if abs(value) >= least and step >= unit / 10:
            decimals = max(0, math.ceil(-math.log10(step / unit)))
            return f"{value / unit:,.{decimals}f}{suffix}".replace("-", "\u2212")
    decimals = max(0, math.ceil(-math.log10(step)))
    return f"{value:,.{decimals}f}".replace("-", "\u2212")


class LoglikFormatter(Formatter):
    """Ticks of the log-likelihood axis (:func:`loglik_tick`); never an offset like "−1.3699e3"."""

    def __call__(self, value, pos=None):
        lo, hi = self.axis.get_view_interval()
        return loglik_tick(value, hi - lo)


def clear_tick_labels(ax, main_ax, preset, size):
    """Move a side panel right when its longest tick label would reach into the main plot ``main_ax``."""
    renderer = ax.figure.canvas.get_renderer()
    widest = max((label.get_window_extent(renderer).width for label in ax.get_yticklabels()
                  if label.get_text()), default=0.0)
    if not widest:
        ax.figure.canvas.draw()  # tick labels get their text at the first draw
        widest = max((label.get_window_extent(renderer).width for label in ax.get_yticklabels()), default=0.0)
    fig_w = preset["size"][0]
    room = (ax.get_position().x0 - main_ax.get_position().x1) * fig_w
    need = widest + size * preset["dpi"] / 72.0 * 1.2
    if need > room:
        box = ax.get_position()
        shift = (need - room) / fig_w
        ax.set_position([box.x0 + shift, box.y0, box.width - shift, box.height])
