{#
    Preflight for engines that read the landing files in place (DuckDB): before any model runs, every
    source table must have at least one non-empty Parquet file whose columns carry the types declared in
    the sources YAML. A problem fails the run with one message naming the source and the file, instead of
    an error from deep inside a model that happens to read it first.
    Snowflake reads the tables a loader filled (cdp-snowflake-load or any other): there every source table
    must exist with the declared columns, each of the declared type's family.
#}
{% macro check_landing_files() %}
    {{ return(adapter.dispatch('check_landing_files', 'cdp')()) }}
{% endmacro %}

{% macro default__check_landing_files() %}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__check_landing_files() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% set problems = [] %}
    {% for node in graph.sources.values()
        if node.package_name == project_name and node.source_meta.get('external_location') %}
        {% set source_label = node.source_name ~ '.' ~ node.name %}
        {% set folder = cdp.landing_dir() ~ '/' ~ node.source_name ~ '/' ~ node.name %}
        {% set files = run_query(
            "select filename, size from read_blob('" ~ folder ~ "/*.parquet') order by filename"
        ) %}
        {% if files.rows | length == 0 %}
            {% do problems.append(
                "source " ~ source_label ~ ": no Parquet files in " ~ folder
                ~ " (folder missing or empty; generate the sample with `make generate-dev`"
                ~ " or point CDP_LANDING_DIR at your landing folder)"
            ) %}
        {% else %}
            {% set readable = [] %}
            {% for file in files.rows %}
                {# 12 bytes: the PAR1 magic at both ends plus the footer length. #}
                {% if file[1] < 12 %}
                    {% do problems.append(
                        "source " ~ source_label ~ ": file " ~ file[0] ~ " is empty or truncated ("
                        ~ file[1] ~ " bytes), not a Parquet file"
                    ) %}
                {% else %}
                    {% do readable.append("'" ~ file[0] ~ "'") %}
                {% endif %}
            {% endfor %}
            {% if readable %}
                {% set declared = {} %}
                {% for column in node.columns.values() if column.data_type %}
                    {% do declared.update({column.name | lower: column.data_type | upper}) %}
                {% endfor %}
                {% set schema = run_query(
                    "select file_name, lower(name), duckdb_type from parquet_schema(["
                    ~ readable | join(', ') ~ "]) where duckdb_type is not null"
                ) %}
                {% set found = {} %}
                {% for row in schema.rows %}
                    {% do found.setdefault(row[0], {}).update({row[1]: row[2]}) %}
                {% endfor %}
                {% for file_name, columns in found.items() %}
                    {% for column_name, declared_type in declared.items() %}
                        {% if column_name not in columns %}
                            {% do problems.append(
                                "source " ~ source_label ~ ": file " ~ file_name ~ " has no column "
                                ~ column_name ~ " (declared " ~ declared_type ~ ")"
                            ) %}
                        {% elif columns[column_name] | upper != declared_type %}
                            {% do problems.append(
                                "source " ~ source_label ~ ": file " ~ file_name ~ " column " ~ column_name
                                ~ " is " ~ columns[column_name] ~ ", declared " ~ declared_type
                            ) %}
                        {% endif %}
                    {% endfor %}
                {% endfor %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {% if problems %}
        {{ exceptions.raise_compiler_error(
            "Landing files do not match the sources YAML:\n  - " ~ problems | join("\n  - ")
        ) }}
    {% endif %}
    {{ log("Landing files checked: every source table has readable files of the declared types.", info=True) }}
    {{ return('') }}
{% endmacro %}

{#- Spark reads the landing Parquet in place too: the same checks, then one view per source table,
    <source schema>.<table> over its folder, which is what source() names on Spark. The files are listed
    with Spark's binaryFile reader (only path and length are read). -#}
{% macro spark__check_landing_files() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% set landing = cdp.landing_dir() %}
    {% do run_query(
        "create or replace temporary view cdp_landing_files using binaryFile options (path '" ~ landing
        ~ "', recursiveFileLookup 'true', pathGlobFilter '*.parquet')"
    ) %}
    {% set files_by_folder = {} %}
    {% for file in run_query("select path, length from cdp_landing_files order by path").rows %}
        {% set parts = file[0].split('/') %}
        {% do files_by_folder.setdefault(parts[-3] ~ '/' ~ parts[-2], []).append(file) %}
    {% endfor %}
    {% do run_query("drop view if exists cdp_landing_files") %}
    {#- Declared types as Spark names them (`timestamp` is timestamp_ntz: profiles.yml sets timestampType). -#}
    {% set spark_types = {
        'varchar': 'string', 'integer': 'int', 'timestamp': 'timestamp_ntz',
        'timestamp with time zone': 'timestamp',
    } %}
    {% set problems = [] %}
    {% set readable_tables = [] %}
    {% for node in graph.sources.values()
        if node.package_name == project_name and node.source_meta.get('external_location') %}
        {% set source_label = node.source_name ~ '.' ~ node.name %}
        {% set folder = landing ~ '/' ~ node.source_name ~ '/' ~ node.name %}
        {% set files = files_by_folder.get(node.source_name ~ '/' ~ node.name, []) %}
        {% if files | length == 0 %}
            {% do problems.append(
                "source " ~ source_label ~ ": no Parquet files in " ~ folder
                ~ " (folder missing or empty; generate the sample with `cdp-generate --out <data>/spark`"
                ~ " or point CDP_LANDING_DIR at your landing folder)"
            ) %}
        {% else %}
            {% set readable = namespace(all=true) %}
            {% for file in files if file[1] < 12 %}
                {% do problems.append(
                    "source " ~ source_label ~ ": file " ~ file[0] ~ " is empty or truncated ("
                    ~ file[1] ~ " bytes), not a Parquet file"
                ) %}
                {% set readable.all = false %}
            {% endfor %}
            {% if readable.all %}
                {% do readable_tables.append((node, source_label, folder)) %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {#- Views only once every file is readable: a broken file would fail a describe with Spark's message. -#}
    {% for schema in readable_tables | map(attribute=0) | map(attribute='schema') | unique
        if not problems %}
        {% do run_query("create schema if not exists " ~ schema) %}
    {% endfor %}
    {% for node, source_label, folder in (readable_tables if not problems else []) %}
        {% set relation = api.Relation.create(schema=node.schema, identifier=node.identifier, type='view') %}
        {% do run_query("create or replace view " ~ relation ~ " as select * from parquet.`" ~ folder ~ "`") %}
        {% set found = {} %}
        {% for row in run_query("describe " ~ relation).rows %}
            {% do found.update({row[0] | lower: row[1] | lower}) %}
        {% endfor %}
        {% for column in node.columns.values() if column.data_type %}
            {% set declared = column.data_type | lower | replace(' ', '') %}
            {% set expected = spark_types.get(column.data_type | lower, declared) %}
            {% if column.name | lower not in found %}
                {% do problems.append(
                    "source " ~ source_label ~ ": files in " ~ folder ~ " have no column " ~ column.name
                    ~ " (declared " ~ column.data_type ~ ")"
                ) %}
            {% elif found[column.name | lower] != expected %}
                {% do problems.append(
                    "source " ~ source_label ~ ": column " ~ column.name ~ " of the files in " ~ folder ~ " is "
                    ~ found[column.name | lower] ~ ", declared " ~ column.data_type ~ " (" ~ expected ~ " on Spark)"
                ) %}
            {% endif %}
        {% endfor %}
    {% endfor %}
    {% if problems %}
        {{ exceptions.raise_compiler_error(
            "Landing files do not match the sources YAML:\n  - " ~ problems | join("\n  - ")
        ) }}
    {% endif %}
    {{ log("Landing files checked and registered as views: every source table has readable files of the declared types.", info=True) }}
    {{ return('') }}
{% endmacro %}

{% macro snowflake__check_landing_files() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {#- Sources YAML types (DuckDB spelling) by the data_type information_schema reports on Snowflake. -#}
    {% set families = {
        'bigint': 'NUMBER', 'integer': 'NUMBER', 'int': 'NUMBER', 'double': 'FLOAT', 'varchar': 'TEXT',
        'boolean': 'BOOLEAN', 'date': 'DATE', 'timestamp': 'TIMESTAMP_NTZ',
        'timestamp with time zone': 'TIMESTAMP_TZ',
    } %}
    {% set sources = [] %}
    {% for node in graph.sources.values() if node.package_name == project_name %}
        {% do sources.append(node) %}
    {% endfor %}
    {% set found = {} %}
    {% for database in sources | map(attribute='database') | unique %}
        {% set schemas = [] %}
        {% for node in sources if node.database == database and node.schema | upper not in schemas %}
            {% do schemas.append(node.schema | upper) %}
        {% endfor %}
        {% set columns = run_query(
            "select table_schema, table_name, column_name, data_type from " ~ database
            ~ ".information_schema.columns where table_schema in ('" ~ schemas | join("', '") ~ "')"
        ) %}
        {% for row in columns.rows %}
            {% do found.setdefault((database ~ '.' ~ row[0] ~ '.' ~ row[1]) | upper, {}).update({row[2] | upper: row[3]}) %}
        {% endfor %}
    {% endfor %}
    {% set problems = [] %}
    {% for node in sources %}
        {% set source_label = node.source_name ~ '.' ~ node.name %}
        {% set table = (node.database ~ '.' ~ node.schema ~ '.' ~ node.identifier) | upper %}
        {% if table not in found %}
            {% do problems.append(
                "source " ~ source_label ~ ": no table " ~ table ~ " (load the landing files with"
                ~ " `cdp-snowflake-load`, or point the source's schema at your loader's tables)"
            ) %}
        {% else %}
            {% for column in node.columns.values() if column.data_type %}
                {% set declared = column.data_type | lower %}
                {% set family = 'NUMBER' if declared.startswith(('decimal', 'numeric')) else families.get(declared) %}
                {% set actual = found[table].get(column.name | upper) %}
                {% if actual is none %}
                    {% do problems.append(
                        "source " ~ source_label ~ ": table " ~ table ~ " has no column " ~ column.name
                        ~ " (declared " ~ declared ~ ")"
                    ) %}
                {% elif family and actual != family %}
                    {% do problems.append(
                        "source " ~ source_label ~ ": column " ~ column.name ~ " of " ~ table ~ " is "
                        ~ actual ~ ", declared " ~ declared ~ " (" ~ family ~ ")"
                    ) %}
                {% endif %}
            {% endfor %}
        {% endif %}
    {% endfor %}
    {% if problems %}
        {{ exceptions.raise_compiler_error(
            "Source tables do not match the sources YAML:\n  - " ~ problems | join("\n  - ")
        ) }}
    {% endif %}
    {{ log("Source tables checked: every source table exists with the declared columns and types.") }}
    {{ return('') }}
{% endmacro %}
