"""Parcel outlines (红线), pure rules: areas in 亩 and the 1 % check (:mod:`.area`), the
Gauss-Krüger zones of China and their EPSG codes (:mod:`.zones`), the 界址点 text (勘测定界界址点
坐标交换格式) read and written (:mod:`.jzd`), rings made into polygons (:mod:`.geometry`)."""
