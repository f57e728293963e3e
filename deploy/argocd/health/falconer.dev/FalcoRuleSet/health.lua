-- Argo CD health of a falconer.dev FalcoRuleSet.
--
-- The operator checks a rule set twice before any node loads it: a static check (condition
-- Valid) and a real Falco in a verification Job (condition Verified); Ready summarises both.
-- This script reads those conditions only. It runs in Argo CD's Lua 5.1 sandbox, where the
-- string and math libraries are not loaded: only base and table functions are used.

local function findCondition(status, conditionType)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, condition in ipairs(status.conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

local function health(status, message)
  return { status = status, message = message }
end

local function assess(ruleSet)
  local metadata = ruleSet.metadata or {}
  local status = ruleSet.status
  if metadata.deletionTimestamp ~= nil then
    return health("Progressing", "The FalcoRuleSet is being deleted.")
  end
  -- Conditions written for an older spec say nothing about the current rules.
  local generation = metadata.generation
  if status == nil or status.observedGeneration == nil then
    return health("Progressing", "Waiting for Falconer to check the FalcoRuleSet.")
  end
  if generation ~= nil and status.observedGeneration < generation then
    return health("Progressing", "Waiting for Falconer to check generation " .. tostring(generation) .. " of the FalcoRuleSet.")
  end
  local ready = findCondition(status, "Ready")
  if ready == nil then
    return health("Progressing", "Waiting for Falconer to report the Ready condition.")
  end
  if ready.status == "True" then
    return health("Healthy", ready.message)
  end
  -- Disabled on purpose (spec.enabled is false): monitors leave it out, nothing is wrong.
  if ready.reason == "Disabled" then
    return health("Suspended", ready.message)
  end
  -- The static check failed, or its ConfigMap is missing: only a change by the user helps.
  if ready.reason == "NotValid" then
    return health("Degraded", ready.message)
  end
  local verified = findCondition(status, "Verified")
  if verified ~= nil then
    -- A real Falco rejected the rules (VerificationFailed) or could not check them
    -- (VerificationError); the monitors keep running the last verified version.
    if verified.status == "False" then
      return health("Degraded", verified.message)
    end
    -- Valid, but no FalcoMonitor selects it, so there is no Falco to verify it with and nothing
    -- to wait for.
    if verified.reason == "NotSelected" then
      return health("Healthy", verified.message)
    end
  end
  return health("Progressing", ready.message)
end

return assess(obj)
