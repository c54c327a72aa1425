"""animate stage."""
