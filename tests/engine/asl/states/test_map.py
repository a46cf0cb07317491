from .helpers import details, run, types


def proc(states, mode=None, start=None):
    p = {"StartAt": start or next(iter(states)), "States": states}
    if mode:
        p["ProcessorConfig"] = {"Mode": mode, "ExecutionType": "STANDARD"}
    return p


ECHO = {"I": {"Type": "Pass", "End": True}}


def test_inline_map_runs_each_item_and_collects_outputs_in_order():
    r = run({"M": {"Type": "Map", "ItemsPath": "$.xs", "ItemProcessor": proc(ECHO), "End": True}}, {"xs": [3, 1, 2]})
    assert r.output == [3, 1, 2]
    assert details(r, "MapStateStarted") == [{"length": 3}]
    assert [d["index"] for d in details(r, "MapIterationStarted")] == [0, 1, 2]


def test_legacy_iterator_and_parameters_mean_item_processor_and_item_selector():
    r = run({"M": {"Type": "Map", "Iterator": proc(ECHO),
                   "Parameters": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "all.$": "$.k"},
                   "ItemsPath": "$.xs", "End": True}}, {"xs": ["a", "b"], "k": 1})
    assert r.output == [{"i": 0, "v": "a", "all": 1}, {"i": 1, "v": "b", "all": 1}]


def test_empty_items_succeed_immediately():
    r = run({"M": {"Type": "Map", "ItemProcessor": proc(ECHO), "End": True}}, [])
    assert r.output == []
    assert types(r) == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapStateSucceeded",
                        "MapStateExited", "ExecutionSucceeded"]


def test_non_array_items_fail_with_query_evaluation_error_rendering_the_value_as_json():
    r = run({"M": {"Type": "Map", "ItemProcessor": proc(ECHO), "End": True}}, {"foo": "bar"})
    assert r.error == "States.QueryEvaluationError"
    assert r.cause == ("An error occurred while executing the state 'M' (entered at the event id #2). "
                       'Map state input must be an array but was: {"foo":"bar"}')
    assert types(r) == ["ExecutionStarted", "MapStateEntered", "EvaluationFailed", "MapStateFailed", "ExecutionFailed"]


def test_a_failed_iteration_fails_the_map_with_its_error_and_stops_the_rest():
    r = run({"M": {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": proc({"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}),
                   "End": True}}, [1, 2, 3])
    assert (r.error, r.cause) == ("E", "C")
    assert types(r).count("MapIterationStarted") == 1
    assert types(r)[-3:] == ["MapIterationFailed", "MapStateFailed", "ExecutionFailed"]


def test_retry_restarts_the_map_without_reentering_it():
    r = run({"M": {"Type": "Map", "ItemProcessor": proc({"F": {"Type": "Fail", "Error": "E"}}),
                   "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 2, "IntervalSeconds": 1}], "End": True}}, [1])
    t = types(r)
    assert t.count("MapStateEntered") == 1 and t.count("MapStateStarted") == 3


def test_max_concurrency_path_must_be_an_integer():
    r = run({"M": {"Type": "Map", "MaxConcurrencyPath": "$.m", "ItemsPath": "$.xs", "ItemProcessor": proc(ECHO),
                   "End": True}}, {"m": "NoNumber", "xs": [1]})
    assert r.error == "States.Runtime"
    assert r.cause.endswith('The MaxConcurrencyPath field refers to value "NoNumber" which is not a valid integer: $.m')
    assert types(r) == ["ExecutionStarted", "MapStateEntered", "ExecutionFailed"]


def test_distributed_map_records_a_map_run_instead_of_iterations():
    r = run({"M": {"Type": "Map", "ItemProcessor": proc(ECHO, "DISTRIBUTED"), "End": True}}, [1, 2])
    assert r.output == [1, 2]
    assert types(r) == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                        "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]


def test_tolerated_failures_let_a_distributed_map_succeed_until_exceeded():
    fail_odd = {"C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "F"}], "Default": "OK"},
                "F": {"Type": "Fail", "Error": "E"}, "OK": {"Type": "Pass", "End": True}}
    ok = run({"M": {"Type": "Map", "ToleratedFailureCount": 1, "ItemProcessor": proc(fail_odd, "DISTRIBUTED", "C"),
                    "End": True}}, [0, 1, 2])
    assert ok.status == "SUCCEEDED"
    bad = run({"M": {"Type": "Map", "ToleratedFailurePercentage": 10, "ItemProcessor": proc(fail_odd, "DISTRIBUTED", "C"),
                     "End": True}}, [0, 1, 2])
    assert (bad.status, bad.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")
    assert "MapRunFailed" in types(bad)


def test_tolerance_values_are_checked():
    base = "An error occurred while executing the state 'M' (entered at the event id #2). "
    r = run({"M": {"Type": "Map", "ToleratedFailurePercentagePath": "$.p", "ItemsPath": "$.xs",
                   "ItemProcessor": proc(ECHO, "DISTRIBUTED"), "End": True}}, {"p": 100.1, "xs": [1]})
    assert r.cause == base + "ToleratedFailurePercentage must be between 0 and 100."
    r = run({"M": {"Type": "Map", "ToleratedFailureCountPath": "$.c", "ItemsPath": "$.xs",
                   "ItemProcessor": proc(ECHO, "DISTRIBUTED"), "End": True}}, {"c": -1, "xs": [1]})
    assert r.cause == base + "ToleratedFailureCount cannot be negative."


def test_item_batcher_groups_items_with_batch_input():
    r = run({"M": {"Type": "Map", "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"k.$": "$.k"}},
                   "ItemsPath": "$.xs", "ItemProcessor": proc(ECHO, "DISTRIBUTED"), "End": True}},
            {"xs": [1, 2, 3], "k": "v"})
    assert r.output == [{"BatchInput": {"k": "v"}, "Items": [1, 2]}, {"BatchInput": {"k": "v"}, "Items": [3]}]


def test_nested_maps_work():
    inner = {"Inner": {"Type": "Map", "ItemProcessor": proc(ECHO), "End": True}}
    r = run({"M": {"Type": "Map", "ItemProcessor": proc(inner), "End": True}}, [[1, 2], [3]])
    assert r.output == [[1, 2], [3]]


READER_MAP = {"M": {"Type": "Map",
                    "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                                   "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                                   "Parameters": {"Bucket": "b", "Key.$": "$.key"}},
                    "ItemProcessor": proc(ECHO, "DISTRIBUTED"), "End": True}}


def test_item_reader_data_comes_from_a_mock_of_the_map_state_and_csv_values_are_strings():
    from .helpers import run_mocked
    r = run_mocked(READER_MAP, {"key": "k"}, {"M": {"0": {"Return": "a,b\n1,2\n3,4\n"}}})
    assert r.output == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]
    # AWS: the item count is unknown when the Map starts (length 0); reading is part of the run.
    assert details(r, "MapStateStarted") == [{"length": 0}]
    assert types(r)[2:6] == ["MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded"]


def test_item_reader_max_items_and_json_input():
    from .helpers import run_mocked
    import copy
    d = copy.deepcopy(READER_MAP)
    d["M"]["ItemReader"]["ReaderConfig"] = {"InputType": "JSON", "MaxItems": 2}
    r = run_mocked(d, {"key": "k"}, {"M": {"0": {"Return": "[1, 2, 3]"}}})
    assert r.output == [1, 2]


def test_item_reader_data_may_come_from_a_registered_handler():
    from engine.asl import task_handler
    from engine.asl.handlers import unregister
    seen = []
    task_handler("s3:getObject")(lambda params: seen.append(params) or "x\n7\n")
    try:
        r = run(READER_MAP, {"key": "data.csv"})
    finally:
        unregister("s3:getObject")
    assert r.output == [{"x": "7"}] and seen == [{"Bucket": "b", "Key": "data.csv"}]


def test_item_reader_failure_is_states_item_reader_failed():
    from .helpers import run_mocked
    r = run_mocked(READER_MAP, {"key": "k"}, {"M": {"0": {"Throw": {"Error": "S3.NoSuchKey", "Cause": "gone"}}}})
    assert (r.error, r.cause) == ("States.ItemReaderFailed", "gone")
    assert types(r)[-4:] == ["MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"]


def test_result_writer_makes_the_output_a_pointer_to_the_results():
    from .helpers import run_mocked
    import copy
    d = copy.deepcopy(READER_MAP)
    d["M"]["ResultWriter"] = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "p"}}
    r = run_mocked(d, {"key": "k"}, {"M": {"0": {"Return": "a\n1\n"}}})
    assert r.output["ResultWriterDetails"]["Bucket"] == "out"
    assert r.output["ResultWriterDetails"]["Key"].startswith("p/") and ":mapRun:" in r.output["MapRunArn"]


def test_a_runtime_error_in_an_iteration_fails_the_map_and_cannot_be_caught():
    r = run({"M": {"Type": "Map", "ItemProcessor": proc({"I": {"Type": "Pass", "InputPath": "$.nope", "End": True}}),
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}], "End": True},
             "H": {"Type": "Pass", "End": True}}, [{}])
    assert (r.status, r.error) == ("FAILED", "States.Runtime")
    assert types(r)[-3:] == ["MapIterationFailed", "MapStateFailed", "ExecutionFailed"]
