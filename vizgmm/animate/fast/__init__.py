"""Speed: blit layers, remembered pixels and glyphs, the 1-D rug, fonts."""
