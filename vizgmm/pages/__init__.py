"""pages stage: the HTML a History becomes (report, comparison page, notebook view)."""
