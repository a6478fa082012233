"""Scoring: claiming pending comments, running the toxicity and relevance models on them, and
storing each comment's assessment for the policy to decide on."""
