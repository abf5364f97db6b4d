"""亩均效益评价 (issue 16 item 6): the ranking dialog, its 评价方法 editor and its menu action."""
