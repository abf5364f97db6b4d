"""文件 → 导入地块红线…: the outline import dialog (:mod:`.dialog`), its worker
(:mod:`.worker`) and the menu action (:mod:`.action`)."""
