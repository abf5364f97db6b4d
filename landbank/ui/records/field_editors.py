"""One editor widget per field type of the catalogue (landbank.domain.fields).

The editors share the interface of :class:`~landbank.ui.records.editor_base.FieldEditor`; the
ones typed into are in :mod:`landbank.ui.records.text_editors`, the ones chosen in (combos) in
:mod:`landbank.ui.records.choice_editors`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from landbank.domain.fields import FieldSpec, FieldType
from landbank.ui.records.choice_editors import (
    BoolEditor,
    ChoiceEditor,
    ParkEditor,
    ReferenceEditor,
)
from landbank.ui.records.editor_base import FieldEditor
from landbank.ui.records.references import References
from landbank.ui.records.text_editors import (
    DateEditor,
    LongTextEditor,
    NumberEditor,
    TextEditor,
)


def make_editor(
    spec: FieldSpec, refs: References | None = None, parent: QWidget | None = None
) -> FieldEditor:
    """The editor for ``spec``; reference fields choose among ``refs``."""
    refs = refs or References()
    match spec.type:
        case FieldType.TEXT:
            return TextEditor(spec, parent)
        case FieldType.LONG_TEXT:
            return LongTextEditor(spec, parent)
        case FieldType.INT | FieldType.FLOAT:
            return NumberEditor(spec, parent)
        case FieldType.DATE:
            return DateEditor(spec, parent)
        case FieldType.BOOL:
            return BoolEditor(spec, parent)
        case FieldType.CHOICE:
            return ChoiceEditor(spec, parent)
        case FieldType.REGION:
            return ReferenceEditor(spec, refs.regions, parent)
        case FieldType.PARK:
            editor = ParkEditor(spec, refs.parks, parent)
            editor.region_names = dict(refs.regions)
            editor.filter_region(None)
            return editor
        case FieldType.PROJECT:
            return ReferenceEditor(spec, refs.projects, parent)
    raise AssertionError(spec.type)
