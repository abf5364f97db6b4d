"""数据 → 标准地指标… (issue 16): the table (:mod:`.dialog`), a row's editor
(:mod:`.row_editor`), the import (:mod:`.import_dialog`), the 查看适用指标 panel
(:mod:`.resolve_panel`) and the menu action (:mod:`.action`)."""
