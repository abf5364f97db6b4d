"""The Qt (PySide6) user interface: the only package that imports PySide6.

The store (SQLAlchemy, SQLModel and the models) is imported here, before any module of this
package imports PySide6: once PySide6 is loaded, every module imported after it passes through
shiboken's import hook, which looks at the module's source for ``from __feature__ import``.
Loading the ~400 modules of the store first spares them that: ~90 ms of CPU at every start of
the window, a report or a screenshot (measured in isolation: 481–519 ms against 551–640 ms).
"""

import landbank.store.migrate
import landbank.store.models
import landbank.store.queries  # noqa: F401
