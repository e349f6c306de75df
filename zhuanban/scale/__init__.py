"""Scale: the synthetic-data generator (``zhuanban generate``) and the benchmark (``zhuanban bench``)."""
