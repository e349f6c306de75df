"""Assessment (issue #9): indicator schemes, evaluators and evaluations, scores with breakdown, ranking, collaboration index, incentives and the negative list."""
