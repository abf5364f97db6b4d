"""The quota arithmetic: targets (targets), the facts counted (facts), progress, pace and rank
(progress), the projects' 三率 and park targets (projects), alerts and the stock waiting
(alerts). Pure: no I/O, no Qt."""
