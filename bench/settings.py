"""Settings for the API benchmark: the product's, plus the bare baseline views' URLconf."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
