"""The package version, read from its installed metadata."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("endorse-analysis")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"
