"""Static checks behind `engine.asl.validate.validate`, one concern per module:

report.py       Diagnostic collection, locations, AWS message shapes
values.py       JSON-type predicates, Integer/Number ranges, RFC 3339 timestamps
paths.py        JSONPath / Reference Path / intrinsic-call syntax
expressions.py  `.$` payload templates, path fields, JSONata parsing
fields.py       fields per state type and per query language
machine.py      the top level and nested machines (branches, item processors)
states.py       one state: fields, transition, type-specific rules
choice.py       Choice rules        retry_catch.py  Retry / Catch
variables.py    Assign              resources.py    Task Resource ARNs, Express limits
graph.py        targets, terminal state, reachability
jackson.py      JSON syntax errors in AWS's (Jackson's) words
"""
