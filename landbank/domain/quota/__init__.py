"""The quota arithmetic: targets (targets) and those that apply to a region (region_targets),
the facts counted (facts) and the year they count toward (attribution), the calendar's pace and
status (pace), a region's progress and rank (progress), the projects' 三率 and park targets
(projects), alerts and the stock waiting (alerts), and the city's year put together
(city_report). Pure: no I/O, no Qt."""
