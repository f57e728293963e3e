-- Argo CD health of a falconer.dev FalcoMonitor.
--
-- Argo CD never looks at a custom resource's children, so the operator summarises the Falco
-- DaemonSet, the bundle verification and the rollout in the monitor's own conditions (Ready,
-- Progressing, Degraded); this script only reads those. It runs in Argo CD's Lua 5.1 sandbox,
-- where the string and math libraries are not loaded: only base and table functions are used.

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

local function assess(monitor)
  local metadata = monitor.metadata or {}
  local status = monitor.status
  if metadata.deletionTimestamp ~= nil then
    return health("Progressing", "The FalcoMonitor is being deleted.")
  end
  -- Conditions written for an older spec say nothing about the current one.
  local generation = metadata.generation
  if status == nil or status.observedGeneration == nil then
    return health("Progressing", "Waiting for Falconer to report the FalcoMonitor's status.")
  end
  if generation ~= nil and status.observedGeneration < generation then
    return health("Progressing", "Waiting for Falconer to act on generation " .. tostring(generation) .. " of the FalcoMonitor.")
  end
  local ready = findCondition(status, "Ready")
  if (monitor.spec ~= nil and monitor.spec.suspend == true) or (ready ~= nil and ready.reason == "Suspended") then
    return health("Suspended", "The FalcoMonitor is suspended (spec.suspend is true).")
  end
  -- Degraded can be True while Ready is True: Falco still runs the last verified rules, but a
  -- selected rule set was rejected, so the cluster does not run what Git declares.
  local degraded = findCondition(status, "Degraded")
  if degraded ~= nil and degraded.status == "True" then
    return health("Degraded", degraded.message)
  end
  if ready == nil then
    return health("Progressing", "Waiting for Falconer to report the Ready condition.")
  end
  if ready.status == "True" then
    return health("Healthy", ready.message)
  end
  -- No node matches the monitor: nothing will change until someone fixes the node selector.
  if ready.reason == "NoNodes" then
    return health("Degraded", ready.message)
  end
  return health("Progressing", ready.message)
end

return assess(obj)
