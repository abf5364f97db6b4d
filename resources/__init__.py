"""The files landbank ships, installed as the package ``landbank.resources`` (``setup.py`` maps
this folder there; the globs are ``[tool.setuptools.package-data]`` in ``pyproject.toml``).
landbank reads them only through :mod:`landbank.resource_files`."""
