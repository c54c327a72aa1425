"""Slide decks of a fit: PowerPoint and Beamer."""
