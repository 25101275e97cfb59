"""Integer ids shared by the registries and the compiled kernels.

Kept apart from ``engine._kernels`` so the registries (and the window that lists
them) can be imported without loading numba: the GUI shows first, compiles after.
"""

# Optimizer ids (positions in engine.optimizers.OPTIMIZERS).
SGD, MOMENTUM_LECTURE, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP = 0, 1, 2, 3, 4, 5
ADAM_LECTURE, ADAM, AMSGRAD, ADAMW, NADAM, ADADELTA, QHM, QHADAM = 6, 7, 8, 9, 10, 11, 12, 13
LION, RADAM, ADAMAX = 14, 15, 16

# Schedule ids (engine.schedules).
CONSTANT, STEP, EXPONENTIAL, INVERSE, COSINE, WARMUP = 0, 1, 2, 3, 4, 5
COSINE_ANNEALING = 6

# Data models (engine.data): the kernel id of a data surface.
LINEAR, LOGISTIC = 0, 1

# Run status codes.
RUNNING, CONVERGED, DIVERGED = 0, 1, 2
