/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The TAXII 2.1 route table (standards.md 2.2). Every path ends with '/'
 * (TAXII-20). Any authenticated user may speak TAXII; what they may do
 * with each collection is decided by its grants (account/authz.c).
 */
#include "taxii/taxii.h"

#include "core/banned.h"

#define T CIRT_ROUTE_TAXII
#define A CIRT_ACT_TAXII
#define C "/taxii2/{root}/collections/{collection}/"

const struct cirt_route cirt_taxii_routes[] = {
	{"GET", "/taxii2/", cirt_taxii_discovery, A, T},
	{"GET", "/taxii2/{root}/", cirt_taxii_root, A, T},
	{"GET", "/taxii2/{root}/status/{status}/", cirt_taxii_status, A, T},
	{"GET", "/taxii2/{root}/collections/", cirt_taxii_collections, A, T},
	{"GET", C, cirt_taxii_collection, A, T},
	{"GET", C "manifest/", cirt_taxii_manifest, A, T},
	{"GET", C "objects/", cirt_taxii_objects_get, A, T},
	{"POST", C "objects/", cirt_taxii_objects_post, A, T | CIRT_ROUTE_RAW},
	{"GET", C "objects/{object}/", cirt_taxii_object_get, A, T},
	{"DELETE", C "objects/{object}/", cirt_taxii_object_delete, A, T},
	{"GET", C "objects/{object}/versions/", cirt_taxii_versions, A, T},
};

const size_t cirt_taxii_route_count =
	sizeof(cirt_taxii_routes) / sizeof(cirt_taxii_routes[0]);
