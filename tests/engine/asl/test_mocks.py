from engine.asl.mocks import MockConfig

CFG = {
    "StateMachines": {"SM": {"TestCases": {"HappyPath": {"T": "TR"}, "Other": {}}}},
    "MockedResponses": {"TR": {"0": {"Throw": {"Error": "E"}}, "1-2": {"Return": {"v": 1}}}},
}


def req(attempt, kind="service", state="T"):
    return {"state": state, "attempt": attempt, "kind": kind}


def test_attempt_keys_and_ranges():
    m = MockConfig(CFG, "SM", "HappyPath")
    assert m.result(req(0)).ok is False and m.result(req(0)).error == "E"
    assert m.result(req(1)).value == {"v": 1} and m.result(req(2)).value == {"v": 1}


def test_attempts_past_the_last_key_repeat_the_last_response():
    assert MockConfig(CFG, "SM", "HappyPath").result(req(7)).value == {"v": 1}


def test_unmocked_states_return_none_so_handlers_run():
    m = MockConfig(CFG, "SM", "HappyPath")
    assert m.result(req(0, state="Other")) is None
    assert not MockConfig(CFG, "SM", "Other")


def test_throw_without_error_or_cause_is_a_nameless_failure():
    cfg = {"StateMachines": {"S": {"TestCases": {"C": {"T": "R"}}}}, "MockedResponses": {"R": {"0": {"Throw": {}}}}}
    r = MockConfig(cfg, "S", "C").result(req(0))
    assert (r.ok, r.error, r.cause) == (False, None, None)


def test_legacy_lambda_return_unwraps_the_invoke_payload():
    cfg = {"StateMachines": {"S": {"TestCases": {"C": {"T": "R"}}}},
           "MockedResponses": {"R": {"0": {"Return": {"StatusCode": 200, "Payload": [1]}}}}}
    assert MockConfig(cfg, "S", "C").result(req(0, kind="lambda")).value == [1]
    assert MockConfig(cfg, "S", "C").result(req(0)).value == {"StatusCode": 200, "Payload": [1]}


def test_a_single_machine_and_case_are_picked_without_names():
    cfg = {"StateMachines": {"S": {"TestCases": {"C": {"T": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": 1}}}}
    assert MockConfig(cfg).result(req(0)).value == 1
