/* Messages of CKAN's own JavaScript that our catalog translates (never
 * served, never run): the DataStore preview (ckanext/datatablesview/assets/
 * datatablesview.js) and the resource view filters (ckan/public/base/
 * javascript/modules/resource-view-filters.js). CKAN builds the browser's
 * translations (/api/i18n/<lang>) from every catalog's entries that occur in
 * a .js file, so each msgid here must be exactly the upstream one; see
 * core_messages.py for the server side. */
_('Add Filter');
_('Select a field');
_('Remove');
_('Table/List toggle');
_('Copy to clipboard');
_('Toggle column visibility');
_('Restore visibility');
_('Show all');
_('Show none');
_('Filtered');
_('Filtered download');
_('Reset');
_('Print');
_('Share current view');
_('Copied deeplink to clipboard');
_('TABLE FILTER');
_('COLUMN FILTER/S');
_('Sort');
_('Press SHIFT key while clicking on\nsort control for multi-column sort');
_('Double-click to reset filters');
_('seconds');
_('(estimated)');
