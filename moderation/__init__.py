"""Moderation: every comment's way from posted to decided.

`lifecycle` owns the statuses and their transitions; `scoring/` assesses comments with the models,
`policy/` turns scores into decisions, `review/` holds what people decide, and `site_model/` learns
from those decisions. The rest of Agora calls only `services`.
"""
