"""The site model: a classifier learned from the moderators' own decisions.

`examples` turns each human decision into a labelled example, `csvfile` reads a labelled history,
`classifier` is the model itself (n-grams and optional model features), `selection` chooses among
candidates by grouped cross-validation and holds the newest examples out, `training` fits and
validates the chosen one, `tradeoff` turns its validation into thresholds for the owner's target,
`training_runs` trains from the browser one run at a time, `store` saves, verifies, activates and
applies versions, `drift` watches the active one against later decisions, and `evaluation`
measures the policy and the site model on a labelled file.
"""
