"""The player clips its points to the plot box (issue 20, point 6), as the frames do.

Points beyond the axes' limits (an outlier past the robust-quantile limits) were drawn above the
top border and among the tick labels; only the ellipses were clipped.
"""

import html5lib
import numpy as np

import vizgmm


def _svg_parts(page):
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    elements = [(e.tag.rsplit("}", 1)[-1], e) for e in doc.iter() if isinstance(e.tag, str)]
    svg = next(e for tag, e in elements if tag == "svg" and e.get("class") == "vzp-scene")
    children = [(e.tag.rsplit("}", 1)[-1], e) for e in svg.iter() if isinstance(e.tag, str)]
    axes = next(e for tag, e in children if tag == "rect" and e.get("class") == "vzp-axes")
    points = next(e for tag, e in children if tag == "g" and e.get("class") == "vzp-points")
    clips = {e.get("id"): e for tag, e in children if tag == "clipPath"}
    return clips, axes, points


def test_points_are_clipped_to_the_plot_box_grown_by_a_point_radius(tmp_path):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(5, 1, (300, 2)), [[40.0, 60.0]]])
    history = vizgmm.fit(X, 2, max_iter=5)
    path = vizgmm.player(history, tmp_path / "player.html")
    clips, axes, points = _svg_parts(path.read_text(encoding="utf-8"))
    clip = points.get("clip-path")
    assert clip, "the points are not clipped"
    clip_id = clip[len("url(#"):-1]
    rect = next(e for e in clips[clip_id].iter() if isinstance(e.tag, str) and e.tag.endswith("rect"))
    box = [float(axes.get(a)) for a in ("x", "y", "width", "height")]
    cut = [float(rect.get(a)) for a in ("x", "y", "width", "height")]
    # The clip holds the whole box and at most a point's radius (3 px) more on each side.
    assert box[0] - 3 <= cut[0] <= box[0] and box[1] - 3 <= cut[1] <= box[1]
    assert box[0] + box[2] <= cut[0] + cut[2] <= box[0] + box[2] + 3
    assert box[1] + box[3] <= cut[1] + cut[3] <= box[1] + box[3] + 3
