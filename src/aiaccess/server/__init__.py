"""``aiaccess serve``: a read-only SPARQL endpoint and Linked Data server.

The package is split by concept: :mod:`~aiaccess.server.protocol` reads SPARQL
Protocol requests, :mod:`~aiaccess.server.negotiation` and
:mod:`~aiaccess.server.formats` pick representations, :mod:`~aiaccess.server.pool`
runs queries in killable worker processes (:mod:`~aiaccess.server.worker`),
:mod:`~aiaccess.server.linkeddata` and :mod:`~aiaccess.server.downloads` serve
the dataset's resources and files, and :mod:`~aiaccess.server.app` puts them
together. This module imports nothing, so worker processes start light.
"""
