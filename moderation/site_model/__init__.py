"""The site model: a classifier learned from the moderators' own decisions.

`examples` turns each human decision into a labelled example, `csvfile` reads a labelled history,
`classifier` is the model itself (n-grams and optional model features), `training` fits and
cross-validates it, `store` saves, verifies, activates and applies versions, and `evaluation`
measures the policy and the site model on a labelled file.
"""
