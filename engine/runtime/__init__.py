"""The durable runtime: engine.asl's evaluator driven by Celery workers over the database.

Its modules are layered so that imports run one way: a module imports only modules of the
layers listed before its own (never one of its own layer, never a later one, and never from
inside a function to dodge a circle). Read bottom-up, the list is a step from the row store
to the Celery task; read top-down, it is the order a message goes through. README.md says
what each one does; tests/engine/runtime/test_layers.py holds the code to this list.
"""

LAYERS = (
    ("config", "inbounds", "history"),  # knobs; what a step consumes (JSON <-> evaluator
                                        # inbounds); history rows and their labels
    ("rows", "sessions", "lanes"),  # a step's SQL; DB session limits; lanes
    ("dispatch", "routing"),   # messages and doorbells, after commit; a handler's queue
    ("frames", "map_runs"),    # a frame's move to its next step; map runs and their children
    ("fanout",),               # Parallel/Map children as frames, and their join
    ("outcomes",),             # what a step does with each evaluator outcome
    ("driver",),               # one step: lock, evaluate, write, commit (advance)
    ("lifecycle", "tokens", "map_run_updates"),  # start/stop/timeout/redrive; task tokens;
                                                 # UpdateMapRun
    ("timers", "failures"),    # the scheduler (timers, sweeps); steps that keep failing
    ("http_task", "nested"),   # the HTTP Task's handler; nested executions (startExecution)
    ("invoke",),               # calling a Task's handler within its limits
    ("work",),                 # a worker's message: take the step, run the handler, go on
    ("tasks",),                # the Celery tasks
)
