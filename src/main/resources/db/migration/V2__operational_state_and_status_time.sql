-- Start/stop (operationalState survives restarts) and the time provisioning_state last changed, for the
-- lastTransitionTime of status conditions.
alter table application_gateway add column operational_state varchar(16) default 'Running' not null;
alter table application_gateway add column status_changed_at timestamp with time zone;
