"""The state machines home page (/ and /state-machines/): the list, create, delete, samples.

`queries` builds the page's rows in a fixed number of queries; `views` renders them;
`definition_stats` is what the list shows about a definition without reading it again.
"""
