{#-
    Every row's customer has granted consent for the channel in customer_consent: fails the build when
    an audience would reach someone who did not opt in (or opted out since).
-#}
{% test has_consent(model, column_name, channel) %}
    select audience.{{ column_name }} as customer_without_consent
    from {{ model }} as audience
    left join {{ ref('customer_consent') }} as consent
        on
            audience.{{ column_name }} = consent.customer_id
            and consent.channel = '{{ channel }}'
    where consent.consent_status is null or consent.consent_status != 'granted'
{% endtest %}
