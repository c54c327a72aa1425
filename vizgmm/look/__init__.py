"""The look shared by frames, player and report: themes, presets, colours, names, geometry (no matplotlib)."""
