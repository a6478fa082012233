"""The one error every model adapter raises."""


class ClassifierUnavailable(Exception):
    """A model could not be loaded, or could not score; str(error) says what to do."""
