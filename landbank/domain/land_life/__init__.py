"""After supply (issue 16 items 4–6): :mod:`.facts` (a parcel's figures over its life, periods of
years), :mod:`.idle` (闲置土地 under 国土资源部令第53号), :mod:`.low_efficiency` (the five 低效
classes), :mod:`.county` (the county's tallies and the 增存挂钩 effect), :mod:`.efficiency`
(亩均效益评价: scores and classes A/B/C/D/T). The rules are in each module's docstring.
"""
