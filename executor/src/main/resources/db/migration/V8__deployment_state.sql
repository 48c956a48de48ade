-- The state of a deployment that succeeded (its state.json, which holds no secret), so that any server on the
-- database can undeploy it later, whatever became of the state directory of the server that deployed it.
ALTER TABLE builds ADD COLUMN deployment_state TEXT;
