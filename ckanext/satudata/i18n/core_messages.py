"""Messages of CKAN core and of the extensions we run (ckanext-activity,
ckanext-scheming, ckanext-harvest) that our own catalog translates.

CKAN 2.12's Indonesian catalog covers only about 270 messages (many visible
ones such as "Log in", "Data and Resources" or "Activity Stream" are missing,
and its plural search results are left in English) and ckanext-harvest ships
no Indonesian at all. CKAN builds one gettext catalog per request: flask-babel
loads ckan/i18n/<lang>/ckan.mo first and then every ITranslation plugin's
catalog, merging them by msgid with later catalogs winning, whatever their
domain (ckan/config/middleware/flask_app.py sets BABEL_TRANSLATION_DIRECTORIES
and BABEL_DOMAIN; flask_babel.Domain.get_translations merges). So a msgid in
ckanext-satudata.po translates CKAN's own templates and code too.

Why one module: it is one list, the msgids our pages show, grouped by the
upstream file that owns them. This module is never imported. It exists so that `make i18n` (pybabel
extract, which only reads our package) keeps these msgids in
ckanext-satudata.pot and the id/en catalogs, and so that
tests/ui/test_i18n.py fails when one of them has no Indonesian. Each msgid
must be exactly the one used upstream (the comment names the file); the
Indonesian goes in i18n/id/LC_MESSAGES/ckanext-satudata.po as usual.

Plural forms: the plural rule of the merged catalog is the one of the last
catalog loaded (ours), so our id catalog declares CKAN's "nplurals=1;
plural=0" -- with Babel's default for id (nplurals=2) every core plural such
as "{number} datasets found" fell back to English.
"""

from __future__ import annotations


def N_(msgid: str) -> str:
    """Marks a msgid for extraction without translating it."""
    return msgid


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Marks a singular/plural msgid pair for extraction."""
    return singular, plural


MESSAGES = [
    # --- CKAN core ---
    # ckan/templates/page.html
    N_("Skip to main content"),
    N_("Breadcrumb"),
    # ckan/templates/header.html
    N_("Sysadmin settings"),
    N_("View profile"),
    N_("View dashboard"),
    N_("Profile settings"),
    N_("Account"),
    N_("Log in"),
    N_("Navigate to Home - {site_title}"),
    N_("Toggle navigation"),
    N_("Search Datasets..."),
    N_("Search datasets..."),
    N_("Submit"),
    # ckan/templates/footer.html
    N_("About {0}"),
    N_("CKAN API"),
    N_("CKAN Association"),
    N_(
        '<strong>Powered by</strong> <a class="hide-text ckan-footer-logo" href="http://ckan.org">CKAN</a>'
    ),
    # ckan/templates/home/snippets/search.html
    N_("E.g. environment"),
    N_("Popular tags"),
    N_("Search datasets with the tag: {tag}"),
    # ckan/templates/package/search.html
    N_("You can also access this registry using the %(api_link)s (see %(api_doc_link)s)."),
    # ckan/templates/package/snippets/search_facets.html
    N_("close"),
    # ckan/templates/package/snippets/search_results.html
    N_("Name Ascending"),
    N_("Name Descending"),
    # (and our override of it, with the "Data quality" order)
    N_("Relevance"),
    N_("Last Modified"),
    # ckan/templates/snippets/search_form.html
    N_("Order by"),
    N_("Go"),
    N_("Remove applied filter: {value}"),
    N_("Remove"),
    N_("Filter Results"),
    N_('<p class="extra">Please try another search.</p>'),
    N_(
        '<p id="search-error"><strong>There was an error while searching.</strong> Please try again.</p>'
    ),
    # ckan/templates/snippets/facet_list.html
    N_("Filter by: {title}"),
    N_("Search datasets by {name}: {label}"),
    N_("Show More {facet_type}"),
    N_("Show Only Popular {facet_type}"),
    N_("There are no {facet_type} that match this search"),
    # ckan/templates/snippets/package_item.html
    N_("Navigate to dataset: {title}"),
    N_("Draft"),
    N_("Deleted"),
    N_("There is no description for this dataset."),
    # ckan/templates/snippets/search_result_text.html
    N_('No datasets found for "{query}"'),
    N_("No datasets found"),
    N_('No groups found for "{query}"'),
    N_("No groups found"),
    N_('No organizations found for "{query}"'),
    N_("No organizations found"),
    # ckan/templates/snippets/license.html
    N_("No License Provided"),
    # ckan/templates/snippets/social.html
    N_("Social"),
    # ckan/templates/snippets/tag_list.html
    N_("Search datasets with the tag: {name}"),
    # ckan/templates/snippets/additional_info.html
    N_("Additional Info"),
    # ckan/templates/package/base.html
    N_("Create Dataset"),
    # ckan/templates/package/read_base.html
    N_("Manage"),
    # ckan/templates/package/snippets/additional_info.html
    N_("Last Updated"),
    # ckan/templates/package/snippets/resources_list.html
    N_("Data and Resources"),
    N_('<p class="empty">This dataset has no data, <a href="%(url)s">why not add some?</a></p>'),
    N_("This dataset has no data"),
    # ckan/templates/package/snippets/resource_item.html
    N_("Navigate to resource: {name_or_id}"),
    N_("Explore"),
    N_("More information"),
    N_("Go to resource"),
    N_("Edit resource"),
    N_("Views"),
    # ckan/templates/package/snippets/resources.html
    N_("Navigate to resource: {name}"),
    N_("Manage resource: {name}"),
    N_("Add new resource"),
    # ckan/templates/package/group_list.html
    N_("Associate this group with this dataset"),
    N_("Add to group"),
    N_("There are no groups associated with this dataset."),
    # ckan/templates/package/resource_read.html
    N_("Current resource: {name}"),
    N_("URL:"),
    N_("Resource URL: {url}"),
    N_("Dataset description:"),
    N_('Source: <a href="%(url)s">%(dataset)s</a>'),
    N_("There are no views created for this resource yet."),
    N_("Not seeing the views you were expecting?"),
    N_("Click here for more information."),
    N_("Here are some reasons you may not be seeing expected views:"),
    N_("No view has been created that is suitable for this resource"),
    N_("The site administrators may not have enabled the relevant view plugins"),
    N_(
        "If a view requires the DataStore, the DataStore plugin may not be enabled, or the data may not have been pushed to the DataStore, or the DataStore hasn't finished processing the data yet"
    ),
    N_("Data last updated"),
    N_("unknown"),
    # ckan/templates/package/snippets/resource_view.html
    N_("Fullscreen"),
    N_("This resource view is not available at the moment."),
    N_("Download resource"),
    N_("Your browser does not support iframes."),
    N_("Embed resource view"),
    N_("Close modal"),
    N_("You can copy and paste the embed code into a CMS or blog software that supports raw HTML"),
    N_("Width"),
    N_("Height"),
    # ckan/templates/package/resource_views.html
    N_("New view"),
    N_("This resource has no views"),
    # ckan/templates/package/edit_base.html
    N_("View dataset"),
    N_("Edit metadata"),
    N_("Reorder resources"),
    N_("Collaborators"),
    # ckan/templates/package/base_form_page.html
    N_("What are datasets?"),
    N_(
        "A CKAN Dataset is a collection of data resources (such as files), together with a description and other information, at a fixed URL. Datasets are what users see when searching for data."
    ),
    # ckan/templates/package/snippets/package_form.html
    N_(
        'The <i>data license</i> you select above only applies to the contents of any resource files that you add to this dataset. By submitting this form, you agree to release the <i>metadata</i> values that you enter into the form under the <a href="http://opendatacommons.org/licenses/odbl/1-0/">Open Database License</a>.'
    ),
    N_("Are you sure you want to delete this dataset?"),
    N_("Unpublish"),
    N_("Update Dataset"),
    N_("Next: Add Data"),
    # ckan/templates/package/snippets/package_basic_fields.html
    N_("eg. A descriptive title"),
    N_("eg. my-dataset"),
    N_("eg. Some useful notes about the data"),
    N_("eg. economy, mental health, government"),
    N_("Please select the license"),
    N_(
        'License definitions and additional information can be found at <a href="http://opendefinition.org/licenses/">opendefinition.org</a>'
    ),
    N_("No Organization"),
    N_("Visibility"),
    N_("Active"),
    # ckan/templates/package/snippets/package_metadata_fields.html
    N_("Joe Bloggs"),
    N_("Author Email"),
    N_("Maintainer Email"),
    # ckan/templates/package/snippets/stages.html
    N_("Add data"),
    # ckan/templates/package/snippets/resource_form.html
    N_("File"),
    N_("eg. January 2011 Gold Prices"),
    N_("Some useful notes about the data"),
    N_("eg. CSV, XML or JSON"),
    N_("This will be guessed automatically. Leave blank if you wish"),
    N_("eg. 2012-06-05"),
    N_("File Size"),
    N_("eg. 1024"),
    N_("MIME Type"),
    N_("eg. application/json"),
    N_("Are you sure you want to delete this resource?"),
    N_("Previous"),
    N_("Save & add another"),
    N_("Publish"),
    # ckan/templates/package/snippets/resource_edit_form.html
    N_("Update Resource"),
    # ckan/templates/package/snippets/resource_upload_field.html
    N_("Data"),
    N_("Upload a file on your computer"),
    N_("Link to a URL on the internet (you can also link to an API)"),
    N_("Link"),
    N_("Clear Upload"),
    # ckan/templates/package/snippets/resource_help.html
    N_("What's a resource?"),
    N_("A resource can be any file or link to a file containing useful data."),
    # ckan/templates/package/new_resource.html
    N_("Add data to the dataset"),
    N_("Add New Resource"),
    # ckan/templates/package/new_resource_not_draft.html
    N_("Add resource"),
    N_("New resource"),
    # ckan/templates/package/resource_edit_base.html
    N_("View resource"),
    # ckan/templates/package/confirm_delete.html
    N_("Confirm Delete"),
    N_("Are you sure you want to delete dataset - {name}?"),
    # ckan/templates/package/confirm_delete_resource.html
    N_("Are you sure you want to delete resource - {name}?"),
    # ckan/templates/organization/index.html
    N_("Add Organization"),
    N_("Search organizations..."),
    N_("There are currently no organizations for this site"),
    N_("How about creating one?"),
    # ckan/templates/organization/snippets/info.html
    N_("read more"),
    N_("There is no description for this organization."),
    # ckan/templates/organization/snippets/organization_item.html
    N_("0 Members"),
    N_("Open details page for {name}"),
    N_("View {organization_name}"),
    # ckan/templates/organization/snippets/helper.html
    N_("What are Organizations?"),
    N_(
        "CKAN Organizations are used to create, manage and publish collections of datasets. Users can have different roles within an Organization, depending on their level of authorisation to create, edit and publish."
    ),
    # ckan/templates/group/index.html
    N_("Search groups..."),
    N_("There are currently no groups for this site."),
    # ckan/templates/group/snippets/group_item.html
    N_("View {name}"),
    N_("Unlink {name} from the dataset"),
    # ckan/templates/group/snippets/helper.html
    N_("What are Groups?"),
    N_(
        "You can use CKAN Groups to create and manage collections of datasets. This could be to catalogue datasets for a particular project or team, or on a particular theme, or as a very simple way to help people find and search your own published datasets."
    ),
    # ckan/templates/user/login.html
    N_("Need an Account?"),
    N_("Then sign right up, it only takes a minute."),
    N_("Create an Account"),
    N_("Forgotten your password?"),
    N_("No problem, use our password recovery form to reset it."),
    # ckan/templates/user/snippets/login_form.html
    N_("Username or Email"),
    N_("Remember me"),
    # ckan/templates/user/logout.html
    N_("Logged Out"),
    N_("You are now logged out."),
    # ckan/templates/user/dashboard.html
    N_("My Datasets"),
    N_("My Organizations"),
    N_("My Groups"),
    # ckan/templates/user/dashboard_datasets.html
    N_("You haven't created any datasets."),
    N_("Create one now?"),
    # ckan/templates/user/dashboard_groups.html
    N_("You are not a member of any groups."),
    # ckan/templates/user/dashboard_organizations.html
    N_("You are not a member of any organizations."),
    # ckan/templates/user/read_base.html
    N_("API Tokens"),
    # ckan/templates/user/snippets/info.html
    N_("This information is visible to you and admins"),
    N_("Last Active"),
    # ckan/templates/user/request_reset.html
    N_("Email or username"),
    N_("Request Reset"),
    N_(
        "Enter your email address or username into the box and we will send you an email with a link to enter a new password."
    ),
    # ckan/templates/user/list.html
    N_("All Users"),
    # ckan/templates/macros/form/markdown.html
    N_(
        'You can use <a href="#markdown" title="Markdown quick reference" data-bs-toggle="popover" data-bs-content="%(markdown_tooltip)s" data-bs-html="true">Markdown formatting</a> here'
    ),
    # ckan/templates/macros/form/required_message.html
    N_("Required field"),
    # ckan/templates/error_document_template.html
    N_("Error %(error_code)s"),
    N_("You might need to login to access this page."),
    N_("Click here to login"),
    # ckan/views/dataset.py
    N_("Formats"),
    N_("Licenses"),
    N_("Invalid search query: {error_message}"),
    # ckan/views/user.py
    N_("Password entered was incorrect"),
    N_("Old Password"),
    N_("incorrect password"),
    N_("Sysadmin Password"),
    N_("Unauthorized to register as a user."),
    N_("Login failed. Bad username or password or CAPTCHA."),
    # ckan/lib/helpers.py
    N_("Unnamed resource"),
    # ckan/templates/package/resource_read.html
    N_("API Endpoint"),
    # ckan/templates/package/edit_base.html
    N_("Edit"),
    # ckan/templates/user/snippets/info.html
    N_("Email"),
    # ckan/templates/snippets/additional_info.html
    N_("Field"),
    # ckan/templates/user/snippets/login_form.html
    N_("Password"),
    # ckan/templates/user/snippets/info.html
    N_("Username"),
    # ckan/templates/snippets/search_result_text.html
    ngettext(
        '{number} dataset found for "{query}"',
        '{number} datasets found for "{query}"',
    ),
    ngettext(
        "{number} dataset found",
        "{number} datasets found",
    ),
    ngettext(
        '{number} group found for "{query}"',
        '{number} groups found for "{query}"',
    ),
    ngettext(
        "{number} group found",
        "{number} groups found",
    ),
    ngettext(
        '{number} organization found for "{query}"',
        '{number} organizations found for "{query}"',
    ),
    ngettext(
        "{number} organization found",
        "{number} organizations found",
    ),
    # ckan/templates/organization/snippets/organization_item.html
    ngettext(
        "{num} Member",
        "{num} Members",
    ),
    # --- ckanext-activity (CKAN core plugin) ---
    # ckanext/activity/templates/header.html
    ngettext("Dashboard (%(num)d new item)", "Dashboard (%(num)d new items)"),
    # ckanext/activity/templates/package/read_base.html
    N_("Activity Stream"),
    # ckanext/activity/templates/user/dashboard.html
    N_("News feed"),
    # ckanext/activity/templates/user/snippets/news_feed.html
    N_("Activity from items that I'm following"),
    # ckanext/activity/templates/user/snippets/followee_dropdown.html
    N_("Activity from:"),
    N_("Everything"),
    N_("You are not following anything"),
    # ckanext/activity/templates/snippets/activity_stream.html
    N_("No activity found for this type"),
    N_("No activity found"),
    # ckanext/activity/templates/snippets/pagination.html
    N_("Newer activities"),
    N_("Older activities"),
    # ckanext/activity/templates/snippets/activity_type_selector.html
    N_("All activity types"),
    # ckanext/activity/templates/snippets/activities/changed_organization.html
    N_("{actor} updated the organization {organization}"),
    N_("Activity occurred on: {time}"),
    # ckanext/activity/templates/snippets/activities/new_resource_view.html
    N_("{actor} created resource view {view_link}"),
    # ckanext/activity/templates/snippets/activities/deleted_organization.html
    N_("{actor} deleted the organization {organization}"),
    # ckanext/activity/templates/snippets/activities/changed_resource_view.html
    N_("{actor} updated resource view {view_link}"),
    # ckanext/activity/templates/snippets/activities/changed_resource.html
    N_("{actor} updated the resource {resource} in the dataset {dataset}"),
    # ckanext/activity/templates/snippets/activities/new_resource.html
    N_("{actor} added the resource {resource} to the dataset {dataset}"),
    # ckanext/activity/templates/snippets/activities/added_tag.html
    N_("{actor} added the tag {tag} to the dataset {dataset}"),
    # ckanext/activity/templates/snippets/activities/deleted_package.html
    N_("{actor} deleted the {dataset_type} {dataset}"),
    N_("dataset"),
    # ckanext/activity/templates/snippets/activities/deleted_group.html
    N_("{actor} deleted the group {group}"),
    # ckanext/activity/templates/snippets/activities/new_package.html
    N_("{actor} created the {dataset_type} {dataset}"),
    N_("View this version"),
    # ckanext/activity/templates/snippets/activities/new_organization.html
    N_("{actor} created the organization {organization}"),
    # ckanext/activity/templates/snippets/activities/follow_group.html
    N_("{actor} started following {group}"),
    # ckanext/activity/templates/snippets/activities/deleted_resource.html
    N_("{actor} deleted the resource {resource} from the dataset {dataset}"),
    # ckanext/activity/templates/snippets/activities/new_group.html
    N_("{actor} created the group {group}"),
    # ckanext/activity/templates/snippets/activities/deleted_resource_view.html
    N_('{actor} deleted resource view "{view_title}" for resource {resource_link}'),
    # ckanext/activity/templates/snippets/activities/follow_dataset.html
    N_("{actor} started following {dataset}"),
    # ckanext/activity/templates/snippets/activities/removed_tag.html
    N_("{actor} removed the tag {tag} from the dataset {dataset}"),
    # ckanext/activity/templates/snippets/activities/follow_user.html
    N_("{actor} started following {user}"),
    # ckanext/activity/templates/snippets/activities/changed_group.html
    N_("{actor} updated the group {group}"),
    # ckanext/activity/templates/snippets/activities/fallback.html
    N_("{actor} {activity_type}"),
    # ckanext/activity/templates/snippets/activities/changed_package.html
    N_("{actor} updated the {dataset_type} {dataset}"),
    # --- ckanext-scheming ---
    # ckanext/scheming/templates/scheming/group/group_form.html
    N_("Are you sure you want to delete this Group?"),
    N_("Save Group"),
    # ckanext/scheming/templates/scheming/form_snippets/repeating_subfields.html
    N_("These fields have been removed, click update below to save your changes."),
    N_("These fields have been removed."),
    # ckanext/scheming/templates/scheming/package/snippets/package_form.html
    N_("Update {page}"),
    N_("Next"),
    # ckanext/scheming/templates/scheming/snippets/errors.html (CKAN's own
    # Indonesian, "Terdapat entitas cacat pada formulir", reads as machine talk)
    N_("The form contains invalid entries:"),
    # ckanext/scheming/templates/scheming/organization/group_form.html
    N_("Are you sure you want to delete this Organization?"),
    N_("Update Organization"),
    N_("Create Organization"),
    # --- ckanext-harvest (ships no Indonesian catalog) ---
    # ckan/templates/snippets/search_result_text.html builds these for the
    # harvest source list (/harvest, search type "harvest")
    ngettext('{number} harvest found for "{query}"', '{number} harvests found for "{query}"'),
    N_('No harvests found for "{query}"'),
    ngettext("{number} harvest found", "{number} harvests found"),
    N_("No harvests found"),
    # ckanext/harvest/templates/admin/base.html
    N_("Harvest"),
    # ckanext/harvest/templates/source/new.html
    N_("Harvest Sources"),
    N_("Create Harvest Source"),
    N_("Create harvest source"),
    N_("Harvest sources"),
    N_(
        "Harvest sources allow importing remote metadata into this catalog. Remote sources can be other catalogs such as other CKAN instances, CSW servers or Web Accessible Folders (WAF) (depending on the actual harvesters enabled for this instance)."
    ),
    # ckanext/harvest/templates/source/admin.html
    N_("Last Harvest Job"),
    N_("View full job report"),
    N_("No jobs yet for this source"),
    # ckanext/harvest/templates/source/about.html
    N_("There is no description for this harvest source"),
    # ckanext/harvest/templates/source/search.html
    N_("Search harvest sources..."),
    # ckanext/harvest/templates/source/admin_base.html
    N_(
        "This will re-run the harvesting for this source. Any updates at the source will overwrite the local datasets. Sources with a large number of datasets may take a significant amount of time to finish harvesting. Please confirm you would like us to start reharvesting."
    ),
    N_("Start a new harvesting job for this harvest source now"),
    N_("Reharvest"),
    N_("Stop"),
    N_(
        "Warning: This will remove all datasets for this source, as well as all previous job reports. Are you sure you want to continue?"
    ),
    N_("Delete all harvest jobs and existing datasets from this source"),
    N_("Clear"),
    N_("View harvest source"),
    N_("Jobs"),
    # ckanext/harvest/templates/source/edit.html
    N_("Edit harvest source"),
    # ckanext/harvest/templates/source/new_source_form.html
    N_("This should include the http:// part of the URL"),
    N_("Update frequency"),
    N_("Configuration"),
    N_("No organization"),
    N_(
        "This will flag the source as deleted but keep all its datasets and previous jobs. Are you sure you want to delete this harvest source?"
    ),
    N_(
        "Warning: Apart from deleting this source, this command will remove all its datasets, as well as all previous job reports. Are you sure you want to continue?"
    ),
    N_("Delete source"),
    N_("Delete and clear source"),
    # ckanext/harvest/templates/source/job/list.html
    N_("Harvest Jobs"),
    N_("Job: "),
    N_("Started:"),
    N_("Not yet"),
    N_("Finished:"),
    N_("errors"),
    # ckanext/harvest/templates/source/job/read.html
    N_("Job Report"),
    N_("Back to job list"),
    N_("Error Summary"),
    N_("No errors for this job"),
    N_("Only the 20 most frequent errors are shown"),
    N_("Job Errors"),
    N_("Document Errors"),
    N_("Error Report"),
    N_("documents with errors"),
    N_("Remote content"),
    N_("Local content"),
    # ckanext/harvest/templates/snippets/search_result_text.html
    ngettext(
        '{number} harvest source found for "{query}"',
        '{number} harvest sources found for "{query}"',
    ),
    N_('Sorry no harvest sources found for "{query}"'),
    ngettext(
        "{number} harvest source found",
        "{number} harvest sources found",
    ),
    N_("Sorry no harvest sources found"),
    # ckanext/harvest/templates/snippets/package_list_empty.html
    N_("There are no datasets associated to this harvest source."),
    # ckanext/harvest/templates/snippets/job_details.html
    N_("Id"),
    N_("Started"),
    N_("Finished"),
    # ckanext/harvest/templates/snippets/add_source_button.html
    N_("Add Harvest Source"),
    # ckanext/harvest/templates/snippets/job_error_summary.html
    N_("Count"),
    # ckanext/harvest/helpers.py
    N_("title"),
    # ckanext/harvest/utils.py
    N_("Harvest job stopped"),
    N_("Harvest will start shortly. Refresh this page for updates."),
    N_(
        'Cannot create new harvest jobs on inactive sources. First, please change the source status to "active".'
    ),
    N_("A harvest job has already been scheduled for this source"),
    N_("Harvest source cleared"),
    N_("Harvesting source successfully cleared"),
    N_("Harvesting source successfully inactivated"),
    # ckanext/harvest/templates/snippets/job_details.html
    N_("New"),
    N_("Running"),
    N_("Aborted"),
    # ckanext/harvest/helpers.py
    N_("Manual"),
    N_("Monthly"),
    N_("Weekly"),
    N_("Biweekly"),
    N_("Daily"),
    N_("Always"),
    # ckanext/harvest/templates/snippets/job_details.html, source/job/list.html
    N_("added"),
    N_("updated"),
    N_("deleted"),
    N_("not modified"),
    # ckan/templates/package/snippets/additional_info.html (a harvest source's state)
    N_("active"),
    # ckanext/harvest/templates/source/read_base.html (the same word in Indonesian)
    N_("Admin"),
]
