"""Production settings: everything from the environment."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]  # noqa: F405
