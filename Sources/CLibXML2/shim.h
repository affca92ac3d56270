#ifndef AGORA_CLIBXML2_SHIM_H
#define AGORA_CLIBXML2_SHIM_H
// Foundation brings its own ICU module; libxml2's ICU headers would clash with it.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

// xmlFree is a global function pointer, which Swift 6 treats as shared mutable state.
static inline void agora_xml_free(void *pointer) { xmlFree(pointer); }
#endif
