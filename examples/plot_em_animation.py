"""
EM on the walk-through's foot sizes, as a matplotlib animation
===============================================================

``vizgmm.animation`` returns a ``matplotlib.animation.FuncAnimation`` whose
frames are vizgmm's own (the GIF's). sphinx-gallery's animation scraper picks
up ``anim`` (set ``matplotlib_animations = True`` in ``sphinx_gallery_conf``);
in a notebook, ``HTML(anim.to_jshtml())`` shows it with play controls.
"""

import vizgmm

# Women ~N(240, 7) and men ~N(270, 6), mixed and unlabelled.
x, _ = vizgmm.walkthrough_data(seed=0)
history = vizgmm.fit(x, 2, init=vizgmm.WALKTHROUGH_INIT, max_iter=8)

anim = vizgmm.animation(history, tween=1)
