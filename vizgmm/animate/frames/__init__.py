"""From a History to timed frame states: tweening, timing and half-steps."""
